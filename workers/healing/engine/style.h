/* What a browser would render, as far as the page itself says: the user agent's display:none
 * elements, the hidden attribute, closed <details>, inline style="" and the display / visibility
 * rules of the page's own <style> elements (matched with the engine's CSS evaluator; @media and other
 * at-rules ignored). External stylesheets are not loaded, exactly as when a snapshot is opened with
 * page.setContent(). These approximate Playwright's isElementVisible() and isElementHiddenForAria(). */
#ifndef HEAL_STYLE_H
#define HEAL_STYLE_H

#include "dom.h"

int style_not_rendered(heal_doc *doc, struct dom_node *e);   /* display:none on e or an ancestor */
int style_visible(heal_doc *doc, struct dom_node *e);        /* Playwright :visible */
int style_aria_hidden(heal_doc *doc, struct dom_node *e);    /* hidden from the accessibility tree */
int style_is_inline(heal_doc *doc, struct dom_node *e);      /* computed display is 'inline' */

#endif
