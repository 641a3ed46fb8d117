"""Downloads of one catalogue (normally a release's recorded tree): CSV, JSON, XLSX, SQLite, data package, SHA256SUMS.

One module per format, each writing its file by itself (:mod:`.csv`, :mod:`.json`, :mod:`.xlsx`,
:mod:`.sqlite` with the full-text search, :mod:`.datapackage`, :mod:`.zip`, :mod:`.checksums`),
what they share in :mod:`.common`, and :mod:`.build` running them for one version. Every file is
byte-identical on every rebuild of the same release (see :mod:`.build`).
"""

from villagecat.exports.build import (ExportRefused, build_files, export_catalogue, export_recorded, export_ref, export_release,
                                      key_problems, require_readable, write_all, write_files, writers)
from villagecat.exports.checksums import sha256sums, write_sha256sums
from villagecat.exports.common import (ExportSpec, all_items_rows, kind_rows, law_rows, list_rows, load_schemas,
                                       neutralise, region_rows, source_rows)
from villagecat.exports.csv import csv_bytes, csv_files, csv_members, write_csv
from villagecat.exports.datapackage import datapackage, datapackage_zip, write_datapackage_zip
from villagecat.exports.json import json_bytes, json_document, write_json
from villagecat.exports.sqlite import bigram_query, bigrams, search, sqlite_bytes, write_sqlite
from villagecat.exports.xlsx import write_xlsx, xlsx_bytes
from villagecat.exports.zip import write_zip, zip_bytes

__all__ = [name for name in dir() if not name.startswith("_")]
