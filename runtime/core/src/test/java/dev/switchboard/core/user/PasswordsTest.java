package dev.switchboard.core.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PBKDF2 password hashes: salted, verifiable, self-describing, never the password itself. */
class PasswordsTest {

    private final Passwords passwords = new Passwords(2_000);

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String h = passwords.hash("correct horse battery");
        assertTrue(passwords.verify("correct horse battery", h));
        assertFalse(passwords.verify("correct horse batterY", h));
        assertFalse(passwords.verify("", h));
        assertFalse(passwords.verify("correct horse battery", null));
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertNotEquals(passwords.hash("same password"), passwords.hash("same password"));
    }

    @Test
    void theHashNamesItsAlgorithmIterationsSaltAndNeverHoldsThePassword() {
        String h = passwords.hash("visible?");
        String[] parts = h.split("\\$");
        assertEquals(4, parts.length, h);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("2000", parts[1]);
        assertEquals(16, java.util.Base64.getDecoder().decode(parts[2]).length, "a 128-bit salt");
        assertEquals(32, java.util.Base64.getDecoder().decode(parts[3]).length, "a 256-bit hash");
        assertFalse(h.contains("visible?"));
    }

    @Test
    void aHashMadeWithAnotherWorkFactorStillVerifies() {
        String old = new Passwords(1_000).hash("kept across upgrades");
        assertTrue(passwords.verify("kept across upgrades", old));
    }

    @Test
    void theDefaultWorkFactorFollowsCurrentAdvice() {
        assertTrue(Passwords.ITERATIONS >= 600_000);
        assertTrue(Passwords.standard().hash("x").startsWith("pbkdf2-sha256$" + Passwords.ITERATIONS + "$"));
    }

    @Test
    void malformedHashesNeverVerify() {
        assertFalse(passwords.verify("x", "plain-text"));
        assertFalse(passwords.verify("x", "pbkdf2-sha256$abc$$"));
        assertFalse(passwords.verify("x", "md5$1$AAAA$BBBB"));
    }

    @Test
    void generatedPasswordsAreLongAndDistinct() {
        String a = Passwords.generate();
        assertEquals(20, a.length());
        assertNotEquals(a, Passwords.generate());
    }
}
