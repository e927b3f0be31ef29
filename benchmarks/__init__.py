"""The benchmark of the dashboard against a naive reference and an empty app (see __main__)."""
