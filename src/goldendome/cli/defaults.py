"""Option defaults and help lists of the command line, kept here so that building the CLI loads
no application module (see :mod:`.lazy`); tests/cli/test_lazy.py checks each against its source."""

STORE = "goldendome-runs.duckdb"                     # study.store.DEFAULT_PATH
SCAN_S = 10.0                                        # scenario.build.SCAN_S
DEFAULT_SCALE = "log"                                # assets.value.DEFAULT_SCALE
PRESET_SIZE = 50                                     # scenario.assets.PRESET_SIZE
DEFAULT_TYPES = ("thaad", "underlayer")              # app.assets.DEFAULT_TYPES
ASSET_PRESETS = ("us-homeland", "us-cities", "us-second-strike", "allied-forward")  # scenario.assets.PRESETS
CATALOG_KINDS = ("missile", "interceptor", "radar", "space-sensor", "place", "threat-set", "architecture",
                 "asset-preset")                     # app.catalog.KINDS
GEONAMES_CREDIT = "City populations: GeoNames (geonames.org), CC-BY 4.0"  # scenario.places.GEONAMES_CREDIT
