"""The extract stage, one resolver per attribute (see facts.py for the order they are asked in)."""
