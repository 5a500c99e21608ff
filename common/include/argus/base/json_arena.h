/* A per-thread bump allocator for the JSON trees of a batch's events. Parsing an event is about
 * thirty small allocations; taken from an arena that is reset once per batch they cost a pointer
 * bump instead of malloc/free (the consumer loop's largest cost). Installed as cJSON's allocator:
 * only allocations made between argus_json_arena_begin() and _end() on the calling thread come from
 * its arena, everything else goes to malloc; frees of arena memory are no-ops. A tree parsed in the
 * arena must not outlive argus_json_arena_reset(): keep a cJSON_Duplicate() of what you keep. */
#ifndef ARGUS_JSON_ARENA_H
#define ARGUS_JSON_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Makes the arena cJSON's allocator (once per process; later calls do nothing). */
void argus_json_arena_install(void);
void argus_json_arena_begin(void);
void argus_json_arena_end(void);
/* Forgets everything allocated in this thread's arena (keeps one chunk for the next batch). */
void argus_json_arena_reset(void);
/* Frees this thread's arena. */
void argus_json_arena_destroy(void);
/* True if p was allocated by this thread's arena. */
bool argus_json_arena_owns(const void *p);

#endif
