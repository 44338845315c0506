package dev.switchboard.core.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL of the tests, from {@code SWITCHBOARD_TEST_PG_URL}, {@code _USER} and {@code _PASSWORD} (what
 * {@code .ci/run} exports). Without them the PostgreSQL tests are skipped with that reason, except under CI
 * ({@code CI=true}), where a missing database fails them: CI must never pass by skipping.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** A schema of one test's own, so runs never see each other's data. */
    public record Schema(String name, PostgresConnection connection) {
        /** Drops the schema and everything in it. */
        public void drop() {
            execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    /** @return a new, empty schema (the test is skipped, or failed under CI, when there is no database) */
    public static Schema newSchema() {
        String url = System.getenv("SWITCHBOARD_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but SWITCHBOARD_TEST_PG_URL is not set: .ci/run starts "
                        + "PostgreSQL and exports it; the PostgreSQL store tests must run in CI");
            }
            Assumptions.abort("PostgreSQL tests skipped: set SWITCHBOARD_TEST_PG_URL (and _USER, _PASSWORD) to a "
                    + "database this user may create schemas in, e.g. jdbc:postgresql://127.0.0.1:5432/switchboard_test");
        }
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute("CREATE SCHEMA " + name);
        return new Schema(name, new PostgresConnection(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name,
                System.getenv("SWITCHBOARD_TEST_PG_USER"), System.getenv("SWITCHBOARD_TEST_PG_PASSWORD")));
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(System.getenv("SWITCHBOARD_TEST_PG_URL"),
                System.getenv("SWITCHBOARD_TEST_PG_USER"), System.getenv("SWITCHBOARD_TEST_PG_PASSWORD"));
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the test database at SWITCHBOARD_TEST_PG_URL is not usable: "
                    + e.getMessage(), e);
        }
    }
}
