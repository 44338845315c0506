package dev.switchboard.launcher;

import dev.switchboard.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/switchboard backup [--url URL] FILE}: asks the running gateway for a consistent copy of its store
 * ({@code GET /api/backup} with the admin token from {@code SWITCHBOARD_ADMIN_TOKEN} or {@code admin_token}).
 * {@code bin/switchboard restore FILE}: on a stopped gateway, puts such a copy in place of {@code data/switchboard.db}
 * (the replaced store is kept beside it). Exit status 0 on success, 1 on failure, 2 for a usage error.
 */
final class StoreCommands {

    private static final String STORE = "switchboard.db";

    private final Settings settings;
    private final PrintStream out;
    private final PrintStream err;

    StoreCommands(Settings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            return usage();
        }
        try {
            return switch (args.get(0)) {
                case "backup" -> backup(args.subList(1, args.size()));
                case "restore" -> args.size() == 2 ? restore(Path.of(args.get(1))) : usage();
                case "migrate" -> migrate(args.subList(1, args.size()));
                default -> usage();
            };
        } catch (IOException e) {
            err.println("switchboard: " + args.get(0) + " failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int usage() {
        err.println("usage: switchboard                          start the gateway\n"
                + "       switchboard backup [--url URL] FILE  copy the running gateway's store to FILE\n"
                + "       switchboard restore FILE             put FILE back as the store (gateway stopped)\n"
                + "       switchboard migrate --from mapdb:DIR --to postgres\n"
                + "                                            copy an embedded store (DIR/switchboard.db) into the\n"
                + "                                            empty database of store.postgres.url");
        return 2;
    }

    private int backup(List<String> args) throws IOException, InterruptedException {
        String url = null;
        Path file;
        if (args.size() == 3 && args.get(0).equals("--url")) {
            url = args.get(1);
            file = Path.of(args.get(2));
        } else if (args.size() == 1) {
            file = Path.of(args.get(0));
        } else {
            return usage();
        }
        String token = settings.optional(Settings.ADMIN_TOKEN).orElse(null);
        if (token == null) {
            err.println("switchboard: backup needs the admin token: set SWITCHBOARD_ADMIN_TOKEN");
            return 2;
        }
        if (url == null) {
            String host = settings.get(Settings.HOST).isBlank() ? "127.0.0.1" : settings.get(Settings.HOST);
            url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + settings.get(Settings.PORT);
        }
        URI uri = URI.create(url.replaceAll("/+$", "") + "/api/backup");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> r;
        try {
            r = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token.trim())
                    .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            err.println("switchboard: backup: no gateway answers at " + uri + " (" + e.getMessage()
                    + "); is it running? use --url to name it");
            return 1;
        }
        if (r.statusCode() != 200) {
            try (InputStream body = r.body()) {
                err.println("switchboard: backup: " + uri + " answered " + r.statusCode() + ": "
                        + new String(body.readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8));
            }
            return 1;
        }
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (InputStream body = r.body()) {
            Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out.println("switchboard: backup written to " + absolute + " (" + Files.size(absolute) + " bytes)");
        return 0;
    }

    private int restore(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            err.println("switchboard: restore: " + file + " is not a backup file");
            return 2;
        }
        Path data = settings.dataDir();
        Files.createDirectories(data);
        Path store = data.resolve(STORE);
        if (Files.exists(store) && running(store)) {
            err.println("switchboard: restore: the gateway is running on " + data + "; stop it first");
            return 1;
        }
        if (Files.exists(store)) {
            Path kept = data.resolve(STORE + ".before-restore-" + Instant.now().getEpochSecond());
            Files.move(store, kept);
            out.println("switchboard: the replaced store is kept as " + kept);
        }
        try (Stream<Path> files = Files.list(data)) {
            for (Path wal : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith(STORE + ".wal"))
                    ::iterator) {
                Files.delete(wal);
            }
        }
        Path partial = data.resolve(STORE + ".restoring");
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, store, StandardCopyOption.ATOMIC_MOVE);
        out.println("switchboard: restored " + file + " to " + store + "; start the gateway");
        return 0;
    }

    /**
     * Copies the embedded store into PostgreSQL. The store classes live in the core bundle: they run here on a
     * plain class path of the distribution's {@code system/} jars (no framework is started).
     */
    private int migrate(List<String> args) throws IOException {
        if (args.size() != 4 || !args.get(0).equals("--from") || !args.get(1).startsWith("mapdb:")
                || !args.get(2).equals("--to") || !args.get(3).equals("postgres")) {
            return usage();
        }
        String url = settings.get(Settings.STORE_POSTGRES_URL);
        if (url.isEmpty()) {
            err.println("switchboard: migrate: set store.postgres.url (" + Settings.STORE_POSTGRES_URL.environmentName()
                    + "), and .user and .password, to the target database");
            return 2;
        }
        Path store = settings.home().resolve(args.get(1).substring("mapdb:".length())).resolve(STORE).normalize();
        if (Files.exists(store) && running(store)) {
            err.println("switchboard: migrate: a gateway is running on " + store + "; stop it first");
            return 1;
        }
        List<java.net.URL> jars = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(settings.home().resolve("system"))) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
                jars.add(jar.toUri().toURL());
            }
        }
        String user = settings.get(Settings.STORE_POSTGRES_USER);
        try (java.net.URLClassLoader core = new java.net.URLClassLoader(jars.toArray(java.net.URL[]::new),
                StoreCommands.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(core);
            Object status = core.loadClass("dev.switchboard.core.store.Migration")
                    .getMethod("run", Path.class, String.class, String.class, String.class, PrintStream.class,
                            PrintStream.class)
                    .invoke(null, store, url, user.isBlank() ? null : user,
                            settings.optional(Settings.STORE_POSTGRES_PASSWORD).orElse(null), out, err);
            return (Integer) status;
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("switchboard: migrate failed: " + cause);
            return 1;
        }
    }

    /** Whether another process holds the store's lock (MapDB locks its file while open). */
    private static boolean running(Path store) throws IOException {
        try (FileChannel ch = FileChannel.open(store, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }
}
