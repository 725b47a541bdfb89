"""Importing miners from CSV or Excel: validate every row, then import all valid rows
or nothing.

``read_rows`` turns a file into dict rows with line numbers (refusing formulas, merged
cells and undecodable text with a message naming the place); ``validate`` checks each
row against the file and the database; ``apply`` writes the valid rows in one
transaction.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import ipaddress
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miner_tags, miners, racks, sites

COLUMNS = ("ip", "port", "name", "mac", "serial", "model", "site", "rack", "position",
           "client", "tags")
_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")
MAX_ROWS = 200_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why and where."""


@dataclasses.dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


@dataclasses.dataclass
class ImportPreview:
    rows: list[dict[str, Any]]  # valid, normalised rows
    errors: list[RowError]
    warnings: list[str]
    total: int

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(line number, raw row) pairs and file-level warnings."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"no such file: {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path), []
    if path.suffix.lower() not in (".csv", ".txt"):
        raise ImportFileError(f"{path.name}: use a .csv or .xlsx file")
    return _read_csv(path)


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{name} is neither UTF-8 nor Windows-1252 text (byte {exc.start}); "
                "save it as 'CSV UTF-8'") from None
        return text, [f"{name} is not UTF-8: read as Windows-1252; check accented names"]


def _read_csv(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    text, warnings = _decode(path.read_bytes(), path.name)
    if "\x00" in text:
        raise ImportFileError(f"{path.name} contains NUL bytes: it is not a text CSV")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path.name} is empty") from None
    columns = _header(header, path.name)
    rows = []
    for values in reader:
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(f"{path.name} has more than {MAX_ROWS:,} rows")
        if not any(v.strip() for v in values):
            continue
        rows.append((reader.line_num, {c: (values[i].strip() if i < len(values) else "")
                                       for i, c in columns.items()}))
    return rows, warnings


def _header(header: list[str], name: str) -> dict[int, str]:
    columns = {i: h.strip().lower().replace(" ", "_") for i, h in enumerate(header)
               if h and h.strip()}
    unknown = sorted(set(columns.values()) - set(COLUMNS))
    if "ip" not in columns.values():
        raise ImportFileError(f"{name}: the header has no 'ip' column "
                              f"(columns: {', '.join(COLUMNS)})")
    if unknown:
        raise ImportFileError(f"{name}: unknown column(s) {', '.join(unknown)} "
                              f"(known: {', '.join(COLUMNS)})")
    return {i: c for i, c in columns.items()}


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, str]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # zip/xml errors of a damaged file
        raise ImportFileError(f"{path.name} is not a readable Excel file ({exc})") from None
    sheet = book.worksheets[0]
    if sheet.merged_cells.ranges:
        ranges = ", ".join(str(r) for r in list(sheet.merged_cells.ranges)[:5])
        raise ImportFileError(f"{path.name}: merged cells ({ranges}); unmerge them first")
    rows_iter = sheet.iter_rows()
    try:
        header_cells = next(rows_iter)
    except StopIteration:
        raise ImportFileError(f"{path.name} is empty") from None
    columns = _header([str(c.value or "") for c in header_cells], path.name)
    rows = []
    for cells in rows_iter:
        values: dict[str, str] = {}
        for i, column in columns.items():
            cell = cells[i] if i < len(cells) else None
            if cell is None or cell.value is None:
                values[column] = ""
                continue
            if cell.data_type == "f":
                raise ImportFileError(f"{path.name}: cell {cell.coordinate} holds a formula; "
                                      "paste values only")
            value = cell.value
            values[column] = (str(int(value)) if isinstance(value, float) and value.is_integer()
                              else str(value).strip())
        if any(values.values()):
            rows.append((cells[0].row, values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"{path.name} has more than {MAX_ROWS:,} rows")
    return rows


def validate(engine: Engine, raw_rows: Iterable[tuple[int, dict[str, str]]], *,
             create_missing: bool = False, warnings: list[str] | None = None) -> ImportPreview:
    with engine.connect() as conn:
        known = {(ip, port) for ip, port in conn.execute(select(miners.c.ip, miners.c.port))}
        site_names = {n.casefold() for n in conn.scalars(select(sites.c.name))}
        client_names = {n.casefold() for n in conn.scalars(select(customers.c.name))}
        model_names = {n.casefold() for n in conn.scalars(select(asic_models.c.model))}
    seen: dict[tuple[str, int], int] = {}
    preview = ImportPreview([], [], list(warnings or []), 0)
    missing_sites: set[str] = set()
    missing_clients: set[str] = set()
    for line, raw in raw_rows:
        preview.total += 1
        errors: list[RowError] = []
        row: dict[str, Any] = {"line": line}
        try:
            row["ip"] = str(ipaddress.ip_address(raw.get("ip", "")))
        except ValueError:
            errors.append(RowError(line, "ip", f"{raw.get('ip', '')!r} is not an IP address"))
        port_text = raw.get("port") or "4028"
        row["port"] = int(port_text) if port_text.isdigit() and 0 < int(port_text) < 65536 else None
        if row["port"] is None:
            errors.append(RowError(line, "port", f"{port_text!r} is not a port (1-65535)"))
        mac = raw.get("mac", "")
        if mac and not _MAC.match(mac):
            errors.append(RowError(line, "mac", f"{mac!r} is not a MAC address"))
        row["mac"] = mac.lower().replace("-", ":") or None
        model = raw.get("model", "")
        catalog = lookup_model(model) if model else None
        if model and catalog is None and model.casefold() not in model_names:
            errors.append(RowError(line, "model", f"unknown model {model!r}: add it to the "
                                                  "catalog first or fix the name"))
        row["model"] = catalog.model if catalog else (model or None)
        position = raw.get("position", "")
        if position and not position.isdigit():
            errors.append(RowError(line, "position", f"{position!r} is not a whole number"))
        row["position"] = int(position) if position.isdigit() else None
        for key in ("name", "serial", "rack", "site", "client"):
            row[key] = raw.get(key) or None
        row["tags"] = sorted({t.strip() for t in re.split(r"[;,|]", raw.get("tags", ""))
                              if t.strip()})
        if row["site"] and row["site"].casefold() not in site_names:
            if create_missing:
                missing_sites.add(row["site"])
            else:
                errors.append(RowError(line, "site", f"unknown site {row['site']!r} "
                                                     "(allow creating missing sites)"))
        if row["client"] and row["client"].casefold() not in client_names:
            if create_missing:
                missing_clients.add(row["client"])
            else:
                errors.append(RowError(line, "client", f"unknown client {row['client']!r} "
                                                       "(allow creating missing clients)"))
        key = (row.get("ip"), row["port"])
        if "ip" in row and row["port"] is not None:
            if key in known:
                errors.append(RowError(line, "ip", f"{row['ip']}:{row['port']} is already in "
                                                   "the fleet"))
            elif key in seen:
                errors.append(RowError(line, "ip", f"{row['ip']}:{row['port']} repeats line "
                                                   f"{seen[key]}"))
            else:
                seen[key] = line
        if errors:
            preview.errors.extend(errors)
        else:
            preview.rows.append(row)
    if missing_sites:
        preview.warnings.append(f"new sites will be created: {', '.join(sorted(missing_sites))}")
    if missing_clients:
        preview.warnings.append(f"new clients will be created: {', '.join(sorted(missing_clients))}")
    return preview


def apply(engine: Engine, preview: ImportPreview, *, skip_invalid: bool = False) -> int:
    """Write every valid row in one transaction.  With errors in the file nothing is
    written unless the user chose to import the valid rows only (``skip_invalid``)."""
    if not preview.ok and not skip_invalid:
        raise ImportFileError(f"{len(preview.errors)} rows have errors: nothing imported")
    with engine.begin() as conn:
        site_ids = {n.casefold(): i for i, n in conn.execute(select(sites.c.id, sites.c.name))}
        for name in sorted({r["site"] for r in preview.rows if r["site"]}):
            if name.casefold() not in site_ids:
                site_ids[name.casefold()] = conn.execute(
                    insert(sites).values(name=name)).inserted_primary_key[0]
        client_ids = {n.casefold(): i for i, n in conn.execute(
            select(customers.c.id, customers.c.name))}
        for name in sorted({r["client"] for r in preview.rows if r["client"]}):
            if name.casefold() not in client_ids:
                client_ids[name.casefold()] = conn.execute(insert(customers).values(
                    name=name, name_key=name.casefold())).inserted_primary_key[0]
        rack_ids = {(s, n): i for i, s, n in conn.execute(
            select(racks.c.id, racks.c.site_id, racks.c.name))}
        model_ids = {n.casefold(): i for i, n in conn.execute(
            select(asic_models.c.id, asic_models.c.model))}
        rows, tags = [], []
        for r in preview.rows:
            site_id = site_ids.get(r["site"].casefold()) if r["site"] else None
            rack_id = None
            if r["rack"] and site_id is not None:
                rack_id = rack_ids.get((site_id, r["rack"]))
                if rack_id is None:
                    rack_id = conn.execute(insert(racks).values(
                        site_id=site_id, name=r["rack"])).inserted_primary_key[0]
                    rack_ids[(site_id, r["rack"])] = rack_id
            rows.append({
                "ip": r["ip"], "port": r["port"], "name": r["name"], "mac": r["mac"],
                "serial": r["serial"], "model_name": r["model"],
                "model_id": model_ids.get((r["model"] or "").casefold()),
                "site_id": site_id, "rack_id": rack_id, "position": r["position"],
                "customer_id": client_ids.get(r["client"].casefold()) if r["client"] else None,
            })
        if rows:
            conn.execute(insert(miners), rows)
            ids = dict(((ip, port), i) for i, ip, port in conn.execute(
                select(miners.c.id, miners.c.ip, miners.c.port)))
            for r in preview.rows:
                tags.extend({"miner_id": ids[(r["ip"], r["port"])], "tag": t} for t in r["tags"])
            if tags:
                conn.execute(insert(miner_tags), tags)
    return len(rows)
