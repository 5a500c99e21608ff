/* Random (version 4) UUIDs for event ids. */
#ifndef ARGUS_UUID_H
#define ARGUS_UUID_H

/* Writes "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (37 bytes with NUL). Returns 0, -1 if no randomness. */
int argus_uuid4(char out[37]);

#endif
