"""政府保障程度 items computable from school data (school size, class size, music and art
rooms) and the county-level figures an analyst enters. Data not given is 未提供, never a
failure.

- ``items``: all the items of one county, or of many at once;
- ``school_size``, ``class_size``, ``rooms``: each item from the school rows;
- ``county_items``: the figures entered for the county as a whole.
"""
