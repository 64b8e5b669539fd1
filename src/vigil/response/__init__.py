"""Emergency response: incidents, unit recommendation, escalation and public warnings."""
