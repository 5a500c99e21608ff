/* Names that build tools generate and that change from one build (or one render) to the next, so
 * healing never relies on them and never emits them: CSS-module hashes (Button_primary__3xK9a, whose
 * stem Button_primary is kept for similarity), styled-components and emotion classes, JSS and
 * atomic CSS, Angular _ngcontent-* / _nghost-* attributes, ng-tns-* classes and mat-input-N ids,
 * Vue data-v-*, Svelte svelte-*, React useId (:r5:), Ember ember123, uuids and long digit runs. */
#ifndef HEAL_GENERATED_H
#define HEAL_GENERATED_H

#include <stddef.h>

int gen_class_is_generated(const char *cls);
int gen_class_is_state(const char *cls);           /* active, is-open, ng-touched ...: changes with use */
int gen_id_is_generated(const char *id);
int gen_attr_is_generated(const char *name);       /* the attribute itself (_ngcontent-abc, data-v-1a2b) */
int gen_value_is_generated(const char *value);     /* an id-like value: a generated id or hash */
/* The stable part of a generated class (CSS modules: before "__", emotion: the label), written to
 * out; 0 when there is none. */
int gen_class_stem(const char *cls, char *out, size_t outlen);

#endif
