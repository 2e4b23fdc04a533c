package io.personalizeimport.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The JSON the admin endpoints accept and answer. */
class FaultJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void faultWithoutCountOrProbability_shouldApplyOnce() throws Exception {
        Fault fault = FaultJson.parse(JSON.readTree("{\"operation\": \"GetObject\", \"error\": \"SlowDown\"}"));

        assertEquals(new Fault("GetObject", "SlowDown", 503, 1, 0, null), fault);
    }

    @Test
    void faultWithProbabilityButNoCount_shouldBeUnlimited() throws Exception {
        Fault fault = FaultJson.parse(JSON.readTree(
                "{\"operation\": \"*\", \"latencyMillis\": 40000, \"probability\": 0.05, \"seed\": 42}"));

        assertTrue(fault.unlimited());
        assertEquals(0.05, fault.probability());
        assertEquals(42L, fault.seed());
        assertEquals(40_000, fault.latencyMillis());
        assertNull(fault.error());
    }

    @Test
    void countSpelledUnlimited_shouldBeUnlimited() throws Exception {
        Fault fault = FaultJson.parse(JSON.readTree(
                "{\"operation\": \"*\", \"error\": \"AccessDenied\", \"count\": \"unlimited\"}"));

        assertTrue(fault.unlimited());
        assertEquals(1, fault.probability());
    }

    @Test
    void fractionalCount_shouldBeRejectedNamingTheField() throws Exception {
        JsonNode body = JSON.readTree("{\"operation\": \"*\", \"error\": \"AccessDenied\", \"count\": 2.5}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> FaultJson.parse(body));

        assertTrue(error.getMessage().startsWith("\"count\" must be"), error.getMessage());
    }

    @Test
    void writtenFault_shouldCarryItsCounters() {
        FaultInjector injector = new FaultInjector(8);
        injector.arm(Fault.error("GetObject", "SlowDown", 3));
        injector.draw("GetObject");

        JsonNode out = FaultJson.write(JSON, injector);

        assertEquals(8, out.get("seed").asLong());
        JsonNode fault = out.get("faults").get(0);
        assertEquals(1, fault.get("id").asInt());
        assertEquals("SlowDown", fault.get("error").asText());
        assertEquals(503, fault.get("status").asInt());
        assertEquals(3, fault.get("count").asInt());
        assertEquals(1, fault.get("matched").asInt());
        assertEquals(1, fault.get("injected").asInt());
        assertEquals(2, fault.get("remaining").asInt());
    }
}
