package dev.switchboard.core.store;

/**
 * Where the shared store's database is: {@code store.postgres.url}, {@code .user} and {@code .password}.
 *
 * @param url a JDBC URL, e.g. {@code jdbc:postgresql://db.internal:5432/switchboard}
 * @param user the role, or {@code null} to take it from the URL
 * @param password its password, or {@code null}; never logged
 */
public record PostgresConnection(String url, String user, String password) {

    @Override
    public String toString() {
        return "PostgresConnection[url=" + url + ", user=" + user + "]";
    }
}
