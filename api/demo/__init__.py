"""The demo: a seeded "Clusters meet Regions" event built through the service layer."""
