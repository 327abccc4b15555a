"""Run the real CKAN harvester of ckanext-harvest against a running Kompass.

ckanext-harvest (and CKAN itself) are AGPL and never imported by Kompass: this script runs in its own venv:

    python3 -m venv /tmp/ckan-venv && /tmp/ckan-venv/bin/pip install ckan==2.11.3 ckanext-harvest==1.6.3
    /tmp/ckan-venv/bin/python bench/ckan/harvest_gather.py http://127.0.0.1:8401 [SINCE]

It calls `CKANHarvester._search_for_datasets`, the gather stage's search (the part of a harvest that reads the
remote site; the rest writes into the local CKAN database and Solr, which need a full CKAN), with exactly the
fq terms `gather_stage` builds: everything, or `metadata_modified:[SINCE - 1h Z TO *]` for an incremental run.
It prints one JSON object: the names gathered, their count and the package_list of the same site for comparison.
"""

import datetime
import json
import sys
import urllib.request


def main(base: str, since: str | None = None) -> int:
    from ckanext.harvest.harvesters.ckanharvester import CKANHarvester

    harvester = CKANHarvester()
    harvester.config = {}  # what _set_config leaves for a source without configuration
    fq = []
    if since:
        start = datetime.datetime.fromisoformat(since) - datetime.timedelta(hours=1)
        fq = [f"metadata_modified:[{start.isoformat()}Z TO *]"]  # gather_stage's term for changes since
    pkgs = harvester._search_for_datasets(base.rstrip("/"), fq)
    with urllib.request.urlopen(base.rstrip("/") + "/api/3/action/package_list") as response:
        listed = json.load(response)["result"]
    print(json.dumps({"gathered": sorted(p["name"] for p in pkgs), "count": len(pkgs),
                      "unique_ids": len({p["id"] for p in pkgs}), "package_list": sorted(listed)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
