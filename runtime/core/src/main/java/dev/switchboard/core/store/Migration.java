package dev.switchboard.core.store;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code switchboard migrate --from mapdb:DIR --to postgres}: copies every record of an embedded store into an
 * empty PostgreSQL database (the schema is created first), ids and balances kept. Run by the launcher outside the
 * OSGi framework, with the distribution's {@code system/} jars on a class path; so its entry point takes JDK types
 * only.
 */
public final class Migration {

    private Migration() {
    }

    /**
     * @param mapdbFile the embedded store, e.g. {@code data/switchboard.db}
     * @param url the target's JDBC URL
     * @param user its role, or {@code null}
     * @param password its password, or {@code null}
     * @param out where progress goes
     * @param err where problems go
     * @return the exit status: 0 copied, 1 failed, 2 refused (no source, target not empty)
     */
    public static int run(Path mapdbFile, String url, String user, String password, PrintStream out,
            PrintStream err) {
        if (!Files.isRegularFile(mapdbFile)) {
            err.println("switchboard: migrate: there is no embedded store at " + mapdbFile);
            return 2;
        }
        try (MapDbStore from = new MapDbStore(mapdbFile);
                PostgresStore to = new PostgresStore(new PostgresConnection(url, user, password))) {
            int held = to.channels().size() + to.tokens().size() + to.users().size();
            if (held > 0) {
                err.println("switchboard: migrate: the target database already holds " + held
                        + " channel(s), token(s) and user(s); migrate into an empty database (or schema)");
                return 2;
            }
            StoreCopy.Counts copied = StoreCopy.copy(from, to);
            out.println("switchboard: copied " + copied.channels() + " channel(s), " + copied.tokens()
                    + " token(s), " + copied.users() + " user(s) and " + copied.logs() + " log entries from "
                    + mapdbFile + " to " + url);
            out.println("switchboard: vendor keys stay encrypted with this installation's secret key: give every"
                    + " node the same secret_key (SWITCHBOARD_SECRET_KEY; the key file is data/secret.key)");
            return 0;
        } catch (StoreException e) {
            err.println("switchboard: migrate failed: " + e.getMessage());
            return 1;
        }
    }
}
