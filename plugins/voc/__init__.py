"""Voice-of-the-Customer ETL: the logic behind the Airflow DAGs, the CLI and the tests.

Data flows one way: sources -> raw -> tags -> staging -> marts -> reports.
"""

__version__ = "0.1.0"
