"""The conversation domain: messages, parts, and the fold from stream events to a message."""
