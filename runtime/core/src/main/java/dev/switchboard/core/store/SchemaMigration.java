package dev.switchboard.core.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the PostgreSQL schema with Flyway, from the versioned scripts in {@code db/migration} of
 * this bundle. Flyway is embedded in the core bundle and finds its database support through {@code ServiceLoader},
 * which looks in the thread's context class loader: so that loader is this bundle's for the duration of the call.
 */
final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    static void migrate(DataSource database) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader ours = SchemaMigration.class.getClassLoader();
        thread.setContextClassLoader(ours);
        try {
            MigrateResult result = Flyway.configure(ours)
                    .dataSource(database)
                    .locations("classpath:db/migration")
                    // Auto-detection settles on java.util.logging inside the bundle; the gateway logs through slf4j.
                    .loggers("slf4j")
                    // A misnamed script fails start-up instead of being skipped silently.
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("database schema migrated to version {} ({} step(s))", result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new StoreException("cannot prepare the database: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
