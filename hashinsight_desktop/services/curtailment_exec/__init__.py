"""The parts behind ``services.curtailment``: fleet loading, plan storage, the status
lifecycle, execution against miners and recovery.  Import the facade, not these."""
