/* libFuzzer target: the healing engine's xpath selector parser and evaluator (see fuzz_heal_selector.h). */
#include "fuzz_heal_selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_heal_selector(HEAL_SYNTAX_XPATH, data, size);
}
