"""Streamlit dashboard: compare localities on administrative reform, targets against actuals."""
