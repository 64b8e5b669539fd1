"""Flows: use cases that span domains (an NVR event that becomes an alert and an incident, an
alert dispatched to a unit). A flow sits on the pipeline floor, above the domains it joins,
and runs their services in one unit of work; the domains stay unaware of each other."""
