"""Notifications (issue 15): events the engine finds, told to the people subscribed to them by e-mail and by group
robots' webhooks. :mod:`messages` is pure (events and the channels' message formats); :mod:`channels` sends."""
