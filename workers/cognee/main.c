/* PLACEHOLDER, to be replaced by the lead: the argus-cognee-worker main (Kafka consumption, graph
 * writes) does not exist yet. This file exists only so that build/bin/argus-cognee-worker links while
 * the code-analysis core (code_*.c) is developed; it does nothing useful. */
#include <stdio.h>

int main(void)
{
    fputs("argus-cognee-worker: not yet implemented\n", stderr);
    return 1;
}
