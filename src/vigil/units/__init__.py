"""The unit registry shared by patrol planning, alert dispatch and emergency response: teams,
their shifts, status and position. It sits below the domains that use it."""
