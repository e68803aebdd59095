"""Build the compact commune data file used by the intake flow.

Reads the official data of the npm package ``@etalab/decoupage-administratif``
(6.0.0) and writes ``bot/nlu/data/communes.json.gz``: every current commune of
France, the historic names (communes associees / deleguees) mapped to their
current commune, and the departement names.

Usage::

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python scripts/build_communes.py package/data

The output is deterministic (sorted keys, gzip header without timestamp or
file name), so regenerating it from the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

SOURCE = "@etalab/decoupage-administratif 6.0.0"
ATTRIBUTION = (
    "Données : @etalab/decoupage-administratif (code MIT, données Licence Ouverte / Etalab 2.0)"
)
FORMAT_VERSION = 1

DEFAULT_DATA_DIR = Path("node_modules/@etalab/decoupage-administratif/data")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "bot" / "nlu" / "data" / "communes.json.gz"

HISTORIC_TYPES = {"commune-associee": "associee", "commune-deleguee": "deleguee"}


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def build(data_dir: Path) -> dict[str, Any]:
    """Return the compact data structure built from the etalab data dir."""
    raw_communes = _read_json(data_dir / "communes.json")
    raw_departements = _read_json(data_dir / "departements.json")
    raw_epci = _read_json(data_dir / "epci.json")

    # The INSEE code is unique only together with the type: a commune deleguee
    # often shares its code with the commune nouvelle it belongs to.
    current = {c["code"]: c for c in raw_communes if c["type"] == "commune-actuelle"}

    epci_names = sorted({e["nom"] for e in raw_epci})
    epci_index = {name: i for i, name in enumerate(epci_names)}
    epci_of: dict[str, int] = {}
    for epci in raw_epci:
        for member in epci["membres"]:
            code = member["code"]
            if code in epci_of and epci_names[epci_of[code]] != epci["nom"]:
                raise ValueError(f"commune {code} belongs to two EPCI")
            epci_of[code] = epci_index[epci["nom"]]

    # Column-oriented (one list per field, same order): compresses much better.
    codes = sorted(current)
    communes = {
        "code": codes,
        "name": [current[code]["nom"] for code in codes],
        "departement": [current[code]["departement"] for code in codes],
        "postcodes": [" ".join(sorted(current[code].get("codesPostaux", []))) for code in codes],
        "population": [int(current[code].get("population", 0)) for code in codes],
        "epci": [epci_of.get(code, -1) for code in codes],
        # The arrondissement ("553" for Verdun): the Meuse's default territories are drawn by it.
        "arrondissement": [current[code].get("arrondissement") or "" for code in codes],
    }

    historic_rows: set[tuple[str, str, str]] = set()
    for c in raw_communes:
        kind = HISTORIC_TYPES.get(c["type"])
        if kind is None:
            continue
        chef_lieu = current.get(c["chefLieu"])
        if chef_lieu is None:
            raise ValueError(f"{c['type']} {c['code']}: unknown chef-lieu {c['chefLieu']}")
        if c["nom"] == chef_lieu["nom"]:
            # The delegated commune that carries the name of the new commune.
            continue
        historic_rows.add((c["nom"], chef_lieu["code"], kind))
    historic = [list(row) for row in sorted(historic_rows, key=lambda r: (r[1], r[0], r[2]))]

    departements = {d["code"]: d["nom"] for d in raw_departements}
    missing = {c["departement"] for c in current.values()} - departements.keys()
    if missing:
        raise ValueError(f"departements without a name: {sorted(missing)}")

    return {
        "attribution": ATTRIBUTION,
        "source": SOURCE,
        "version": FORMAT_VERSION,
        "departements": departements,
        "epci": epci_names,
        # postcodes: space-separated; epci: index into "epci", -1 when none;
        # arrondissement: its INSEE code, "" when none.
        "communes": communes,
        # [historic name, INSEE code of the current commune, "associee" | "deleguee"]
        "historic": historic,
    }


def write(data: dict[str, Any], output: Path) -> int:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    blob = gzip.compress(payload.encode("utf-8"), compresslevel=9, mtime=0)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(blob)
    return len(blob)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"the package's data directory (default: {DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="output file (default: bot/nlu/data/communes.json.gz)",
    )
    args = parser.parse_args(argv)
    data = build(args.data_dir)
    size = write(data, args.output)
    print(
        f"{args.output}: {len(data['communes']['code'])} communes, "
        f"{len(data['historic'])} historic names, {size} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
