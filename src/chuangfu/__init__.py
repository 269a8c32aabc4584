"""Chuangfu (创服): the platform of a featured entrepreneurship service community."""
