package io.mqttra.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The first bytes of a payload as an administrator can read them: text when they are UTF-8 that a person would
 * call text, else hexadecimal. Rendered when read, not when counted, so that the publish path only keeps bytes.
 *
 * @param text what to show, ending in {@code …} when the payload is longer than the bytes kept
 * @param format {@link #TEXT} or {@link #HEX}
 */
record PayloadPreview(String text, String format) {

    static final String TEXT = "text";
    static final String HEX = "hex";

    /**
     * @param head the payload's first bytes
     * @param size the whole payload's size: when larger than {@code head}, a character cut in two at the end is
     *     left out rather than making the preview binary
     */
    static PayloadPreview of(byte[] head, int size) {
        boolean cut = size > head.length;
        String more = cut ? "…" : "";
        String text = utf8Text(head, cut);
        return text != null ? new PayloadPreview(text + more, TEXT) : new PayloadPreview(HexFormat.of().formatHex(head) + more, HEX);
    }

    /** The bytes as text, or null when they are not UTF-8 or hold control characters other than tab, CR and LF. */
    private static String utf8Text(byte[] head, boolean cut) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head);
        CharBuffer out = CharBuffer.allocate(head.length);
        CoderResult result = decoder.decode(in, out, false);
        // without endOfInput the decoder leaves an incomplete last character in the buffer: fine only where the payload was cut
        if (result.isError() || in.hasRemaining() && !cut) {
            return null;
        }
        out.flip();
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return null;
            }
        }
        return out.toString();
    }
}
