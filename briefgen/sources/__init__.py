"""Sources: bringing documents into the store as source records and captured texts."""
