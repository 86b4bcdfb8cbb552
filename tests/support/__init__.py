"""What the tests share, by concern; the fixtures are registered by ``tests/conftest.py``.

- ``fixtures``: the pytest fixtures (databases per test and per module).
- ``databases``: the one way to build a per-dialect database, and the dialect parameters.
- ``snapshots``: what a database holds, to compare (snapshot, canonical form, integrity).
- ``cli``: the command line in process (CliRunner) and as a process, with its environment.
- ``queries``: one-off queries by URL.
- ``documents``, ``bulk_set``, ``hostile``, ``ecosystem``, ``report_data``: test data.
- ``http_server``, ``chromium``, ``processes``, ``locks``: servers, the browser, and watching processes.
- ``plans``, ``cli_walk``, ``chart_svg``: reading query plans, the command tree, charts.
"""
