/* What the libFuzzer targets share: the bytes after the selector byte as a NUL-terminated string. */
#ifndef ARGUS_FUZZ_INPUT_H
#define ARGUS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* data[1..size) copied and terminated (malloc'd; NULL when size is 0 or out of memory). */
static inline char *fuzz_text_after_selector(const uint8_t *data, size_t size)
{
    char *text = size ? malloc(size) : NULL;
    if (!text)
        return NULL;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    return text;
}

#endif
