"""The built-in analytics worker: motion first, detection only where motion is, ByteTrack
tracking and rules over the tracks (line crossing, intrusion, loitering, crowding, abandoned
objects). It counts and measures places; it never identifies anyone."""
