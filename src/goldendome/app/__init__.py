"""The application layer: one module per use case, plain data (dicts, lists, numbers) out.

========  ======================================================================
module    use case (command)
========  ======================================================================
fly       one missile's trajectory figures (``goldendome fly``)
run       a scenario end to end, kept in the store (``run``)
track     sensors and tracker scored against the truth (``track``)
space     SBI constellation size and cost, space-sensor coverage (``sbi``, ``coverage``, ``first-track``)
cost      architecture lifecycle cost by fiscal year, roadmap, what stands in a year (``cost``)
assets    defended-location priorities and battery siting (``priorities``, ``site``)
plan      architectures against threat sets, the implementation plan (``compare``, ``plan``)
sweep     a study's grid on Dask (``sweep``)
report    the offline HTML report of a run or a plan (``report``)
demo      the embedded engagement (``demo``)
runs      the runs kept in the store (``runs list``, ``runs show``)
catalog   catalog ids with their sources, the scenario JSON Schema (``catalog``, ``schema``)
validate  the validation cases (validation_cases.py) and a V&V report (``validate``)
========  ======================================================================

Each builds domain objects through :mod:`goldendome.scenario` and reads or writes
:mod:`goldendome.study`; the command line (:mod:`goldendome.cli`) is a thin layer on top.
"""
