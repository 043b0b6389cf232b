/* Copying text to the clipboard of the terminal the user sits at with an
 * OSC 52 escape sequence (works over SSH), wrapped in a DCS passthrough
 * inside tmux. No libpq. */
#ifndef DEGUX_CLIPBOARD_H
#define DEGUX_CLIPBOARD_H

#include <stdbool.h>
#include <stddef.h>

/* Terminals refuse longer sequences (xterm, tmux): 75,000 bytes of text are
 * 100,000 bytes of base64. */
#define CLIPBOARD_MAX_BYTES 75000

/* Standard base64 (RFC 4648, padded) of n bytes; caller frees. */
char *clipboard_base64(const void *data, size_t n);
/* The escape sequence that sets the clipboard to text: ESC ] 52 ; c ; BASE64
 * BEL, or for tmux ESC P tmux; ESC ESC ] 52 ; c ; BASE64 BEL ESC \ (caller
 * frees); NULL when text is longer than CLIPBOARD_MAX_BYTES. */
char *clipboard_sequence(const char *text, bool tmux);
/* Writes the sequence to the terminal after the screen's pending output
 * (tmux when $TMUX is set); false when the text is too long or the write
 * failed. */
bool clipboard_copy(const char *text);

#endif
