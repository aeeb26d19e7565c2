"""Sensors: space-based infrared (early warning and tracking layers).

Detections are (sensor, object, time) boolean arrays; see :mod:`.space_ir`.
"""

from .space_ir import (SpaceIRSensor, detect, earth_background, first_detection, first_stereo,
                       irradiance, line_of_sight_clear, sensor_from_entry, target_intensity)

__all__ = ["SpaceIRSensor", "detect", "earth_background", "first_detection", "first_stereo",
           "irradiance", "line_of_sight_clear", "sensor_from_entry", "target_intensity"]
