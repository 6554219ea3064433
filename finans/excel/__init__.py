"""Workbooks for controllers: the controller workbook both ways, the lagkage template, safe imports.

- :mod:`~finans.excel.layout`: the sheet and column contract (docs/workbook.md) and Danish
  vocabularies;
- :mod:`~finans.excel.writer`: the controller workbook (``finans export``, ``calc --format xlsx``);
- :mod:`~finans.excel.template`: the lagkage template, written and read;
- :mod:`~finans.excel.guard`: files refused before parsing (non-xlsx, macros, size, zip bombs);
- :mod:`~finans.excel.reader`: a workbook → scenario JSON with every problem at its cell;
- :mod:`~finans.excel.imports`: a workbook into the database through the services' load;
- :mod:`~finans.excel.errors_workbook`: the failing rows with their messages;
- :mod:`~finans.excel.shipped`: the workbooks in ``spreadsheets/``.
"""
