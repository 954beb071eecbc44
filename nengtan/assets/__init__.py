"""Carbon assets (issue 12), pure: the compliance account of an enterprise in the national carbon market
(:mod:`.compliance`) and the reconciliation of a verification with the platform's inventory
(:mod:`.reconciliation`)."""
