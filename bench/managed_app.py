"""The map region through ``layers.layer_manager`` (only changed groups rebuilt)."""

from bench._map_page import run

run(managed=True)
