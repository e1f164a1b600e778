#!/usr/bin/env python3
"""Builds tissu's compact copy of the official French geography.

Source: the npm package @etalab/decoupage-administratif (data from INSEE's
Code officiel géographique and the DGCL's list of EPCIs, under the Licence
Ouverte / Open Licence 2.0; the package's code is MIT). Only the fields tissu
needs are kept, as tab-separated files under data/geography/:

- regions.tsv       code, nom
- departements.tsv  code, region, nom
- communes.tsv      code, departement, region, nom, parent
                    (current communes; Paris, Lyon and Marseille's
                    arrondissements municipaux too, with their commune as
                    parent, because the Sirene register files firms under
                    the arrondissement's code)
- epci.tsv          siren, type, nom, member communes' codes (comma-separated)

Usage (needs npm, or a tarball already fetched):
    python3 tools/geography/build.py [VERSION]        # default 6.0.0
Rerun it to refresh the files, then update VERSION in data/geography/SOURCE.md.
"""

import io
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@etalab/decoupage-administratif"


def fetch(version: str) -> tarfile.TarFile:
    with tempfile.TemporaryDirectory() as tmp:
        name = subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],
            cwd=tmp, check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        data = (pathlib.Path(tmp) / name).read_bytes()
    return tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")


def load(archive: tarfile.TarFile, name: str):
    return json.load(archive.extractfile(f"package/data/{name}.json"))


def clean(text: str) -> str:
    # No tab or newline ever appears in these names; refuse rather than
    # write a file that reads back wrong.
    if "\t" in text or "\n" in text:
        raise ValueError(f"unexpected separator in {text!r}")
    return text


def write(path: pathlib.Path, header: list, rows: list) -> None:
    lines = ["\t".join(header)] + ["\t".join(clean(str(c)) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path}: {len(rows)} lines")


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else "6.0.0"
    out = pathlib.Path(__file__).resolve().parents[2] / "data" / "geography"
    out.mkdir(parents=True, exist_ok=True)
    archive = fetch(version)
    regions = load(archive, "regions")
    departements = load(archive, "departements")
    communes = load(archive, "communes")
    epcis = load(archive, "epci")

    write(out / "regions.tsv", ["code", "nom"],
          sorted((r["code"], r["nom"]) for r in regions))
    write(out / "departements.tsv", ["code", "region", "nom"],
          sorted((d["code"], d["region"], d["nom"]) for d in departements))
    kept = []
    for c in communes:
        if c["type"] == "commune-actuelle":
            kept.append((c["code"], c["departement"], c["region"], c["nom"], ""))
        elif c["type"] == "arrondissement-municipal":
            kept.append((c["code"], c["departement"], c["region"], c["nom"], c["commune"]))
    write(out / "communes.tsv", ["code", "departement", "region", "nom", "parent"], sorted(kept))
    write(out / "epci.tsv", ["siren", "type", "nom", "membres"],
          sorted((e["code"], e["type"], e["nom"], ",".join(sorted(m["code"] for m in e["membres"])))
                 for e in epcis))


if __name__ == "__main__":
    main()
