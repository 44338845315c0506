package dev.switchboard.core.token;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.json.BadInput;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void addressLiteralsWithPrefixesAreSubnets() {
        for (String ok : new String[] {"10.0.0.0/8", "192.168.1.7", "0.0.0.0/0", "::1/128", "fd00::/8", "2001:db8::1"}) {
            assertDoesNotThrow(() -> TokenForm.checkCidr(ok), ok);
        }
    }

    @Test
    void namesAndMalformedBlocksAreRefusedWithoutALookup() {
        for (String bad : new String[] {"bad.cafe", "localhost", "example.com/24", "10.0.0.0/33", "256.1.1.1",
                "10.0.0/8", "::1/129", "10.0.0.0/x", ""}) {
            assertThrows(BadInput.class, () -> TokenForm.checkCidr(bad), bad);
        }
    }
}
