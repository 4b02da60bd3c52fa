"""Results as the analyst hands them on, one folder or module per format: ``terminal/``
(rich), ``xlsx/``, ``json/`` (the documents scripts depend on), ``html/``, ``csv.py``, and
``scenario_file.py``. ``frames/`` holds the tables as DataFrames that several writers share,
``wording/`` the words every format says alike. Never computes a number."""
