package dev.switchboard.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private copy of the built distribution, started as a user would: {@code bin/switchboard} with
 * {@code SWITCHBOARD_*} environment variables. For end-to-end tests.
 *
 * <pre>{@code
 * @TempDir Path tmp;
 * Distribution dist;
 * @BeforeEach void copy() { dist = Distribution.copyTo(tmp.resolve("switchboard")); }
 * @AfterEach void stop() { dist.close(); }        // kills whatever is still running
 *
 * Distribution.Instance sb = dist.start().awaitHealthy();
 * sb.get("/api/channels", sb.generatedAdminToken());
 * }</pre>
 *
 * <p>Defaults for every start: {@code SWITCHBOARD_HOST=127.0.0.1} (loopback only) and {@code SWITCHBOARD_PORT=0}
 * (the port is read from the log line {@code Switchboard is serving on http://host:port/}); {@code JAVA_HOME} is
 * the JDK running the tests; {@code SWITCHBOARD_*} variables of the test environment are not passed on. Output is
 * captured (and echoed with a prefix) so tests can assert on it and failures show it.
 */
public final class Distribution implements AutoCloseable {

    /** How long a start may take until {@code /health} answers 200. */
    public static final Duration START_DEADLINE = Duration.ofSeconds(30);

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern SERVING = Pattern.compile("Switchboard is serving on http://([^:/\\s]+):(\\d+)/");
    private static final Pattern ADMIN_TOKEN = Pattern.compile("admin token:\\s+(\\S+)");
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // Never leave a gateway behind, even when the test JVM is stopped half-way.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final Path home;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Instance> instances = new ArrayList<>();

    private Distribution(Path home) {
        this.home = home;
        env.put("SWITCHBOARD_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_PORT", "0");
        // Each test's copy would archive its classes at its first clean stop (2 s more); ClassArchiveIT tests that.
        env.put("SWITCHBOARD_CDS", "off");
    }

    /** @return the folder Maven built, from {@code -Dswitchboard.dist} (set by failsafe) */
    public static Path built() {
        String dir = System.getProperty("switchboard.dist");
        if (dir == null || !Files.isDirectory(Path.of(dir, "bin"))) {
            throw new IllegalStateException("-Dswitchboard.dist must name the unpacked distribution (got " + dir
                    + "); run the tests with mvn verify -pl dist -am");
        }
        return Path.of(dir);
    }

    /**
     * Copies the built distribution (with file modes, so {@code bin/switchboard} stays executable).
     *
     * @param target a folder that does not exist yet, e.g. {@code tempDir.resolve("switchboard")}
     * @return the copy
     */
    public static Distribution copyTo(Path target) {
        Path source = built();
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, target.resolve(source.relativize(file).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
        return new Distribution(target);
    }

    /** @return the installation folder */
    public Path home() {
        return home;
    }

    /** @return {@code plugins/}, the hot-deploy folder */
    public Path pluginsDir() {
        return home.resolve("plugins");
    }

    /** @return {@code data/} */
    public Path dataDir() {
        return home.resolve("data");
    }

    /** @return {@code conf/switchboard.properties} */
    public Path configFile() {
        return home.resolve("conf").resolve("switchboard.properties");
    }

    /**
     * @param namePrefix the start of the jar's file name, e.g. {@code switchboard-plugin-openai}
     * @return the plugin jar shipped in {@code plugins/}
     */
    public Path pluginJar(String namePrefix) {
        try (Stream<Path> files = Files.list(pluginsDir())) {
            return files.filter(f -> f.getFileName().toString().startsWith(namePrefix)
                    && f.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + namePrefix + "*.jar in " + pluginsDir()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends lines to {@code conf/switchboard.properties}.
     *
     * @param lines e.g. {@code "timeout.connect = 10s"}
     * @return this
     */
    public Distribution configure(String... lines) {
        try {
            Files.writeString(configFile(), System.lineSeparator() + String.join(System.lineSeparator(), lines)
                    + System.lineSeparator(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Sets an environment variable for every later start.
     *
     * @param name e.g. {@code SWITCHBOARD_ADMIN_TOKEN}
     * @param value its value; {@code null} to remove it (also one of the defaults)
     * @return this
     */
    public Distribution env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /** @return a started gateway with this copy's environment (not waited for) */
    public Instance start() {
        return start(Map.of());
    }

    /**
     * @param extraEnv variables for this start only, added to (and overriding) {@link #env}
     * @return a started gateway (not waited for; see {@link Instance#awaitHealthy()})
     */
    public Instance start(Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin").resolve("switchboard").toString())
                .directory(home.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.putAll(env);
        e.putAll(extraEnv);
        Instance instance;
        try {
            instance = new Instance(pb.start(), instances.size() + 1);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot run " + pb.command(), ex);
        }
        instances.add(instance);
        return instance;
    }

    /** Kills (SIGKILL) every gateway started from this copy that still runs. */
    @Override
    public void close() {
        instances.forEach(Instance::close);
    }

    /** An HTTP answer. @param status the status @param body the body as text @param headers the headers */
    public record Answer(int status, String body, Map<String, List<String>> headers) {

        /** @return the body parsed as JSON */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** One run of {@code bin/switchboard}. */
    public static final class Instance implements AutoCloseable {

        private final Process process;
        private final long startNanos = System.nanoTime();
        private final StringBuffer stdout = new StringBuffer();
        private final StringBuffer stderr = new StringBuffer();
        private final Thread[] pumps;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        private volatile Duration healthyAfter;

        Instance(Process process, int run) {
            this.process = process;
            LIVE.add(process);
            String tag = "[switchboard run " + run + ", pid " + process.pid() + "] ";
            pumps = new Thread[] {pump(process.getInputStream(), stdout, tag), pump(process.getErrorStream(), stderr,
                    tag + "stderr: ")};
        }

        private static Thread pump(InputStream in, StringBuffer into, String tag) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        into.append(line).append('\n');
                        System.out.println(tag + line);
                    }
                } catch (IOException ignored) {
                    // The process is gone.
                }
            }, "output of switchboard");
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** @return the process (its pid is the JVM's: the script {@code exec}s java) */
        public Process process() {
            return process;
        }

        /** @return standard output so far */
        public String stdout() {
            return stdout.toString();
        }

        /** @return standard error so far */
        public String stderr() {
            return stderr.toString();
        }

        /** @return both streams, for assertion messages */
        public String output() {
            return "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr + "---";
        }

        /**
         * Waits for a line of standard output.
         *
         * @param pattern what to find
         * @param deadline how long to wait
         * @return the first match
         */
        public Matcher awaitStdout(Pattern pattern, Duration deadline) {
            long end = System.nanoTime() + deadline.toNanos();
            while (true) {
                Matcher m = pattern.matcher(stdout);
                if (m.find()) {
                    return m;
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError("no output matching /" + pattern + "/ within " + deadline + output());
                }
                if (!process.isAlive() && !pumps[0].isAlive()) {
                    throw new AssertionError("exited with status " + process.exitValue() + " before printing /"
                            + pattern + "/" + output());
                }
                sleep(20);
            }
        }

        /** @return the port from the log line {@code Switchboard is serving on http://host:port/} */
        public int port() {
            return Integer.parseInt(awaitStdout(SERVING, START_DEADLINE).group(2));
        }

        /** @return e.g. {@code http://127.0.0.1:41234/}, as the log line shows it */
        public String baseUrl() {
            Matcher m = awaitStdout(SERVING, START_DEADLINE);
            return "http://" + m.group(1) + ":" + m.group(2) + "/";
        }

        /** @return the admin token of the first-start block, if this run printed one */
        public Optional<String> generatedAdminToken() {
            Matcher m = ADMIN_TOKEN.matcher(stdout);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /**
         * Waits until {@code GET /health} answers 200 {@code {"status":"ok"}}, at most {@link #START_DEADLINE}.
         *
         * @return this
         */
        public Instance awaitHealthy() {
            int port = port();
            long end = startNanos + START_DEADLINE.toNanos();
            Answer last = null;
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    throw new AssertionError("exited with status " + process.exitValue() + " before healthy"
                            + output());
                }
                try {
                    last = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).GET());
                    if (last.status() == 200 && "ok".equals(last.json().path("status").asText())) {
                        healthyAfter = Duration.ofNanos(System.nanoTime() - startNanos);
                        System.out.println("[e2e] healthy " + healthyAfter.toMillis() + " ms after start");
                        return this;
                    }
                } catch (UncheckedIOException e) {
                    // Not listening yet.
                }
                sleep(50);
            }
            throw new AssertionError("not healthy within " + START_DEADLINE + " (last answer: " + last + ")"
                    + output());
        }

        /** @return how long the start took until healthy, once {@link #awaitHealthy()} returned */
        public Duration healthyAfter() {
            return healthyAfter;
        }

        /**
         * Sends SIGTERM: an orderly stop. Through the {@link ProcessHandle}: {@link Process#destroy()} would also
         * close our ends of the output pipes, losing (and breaking) what the gateway logs while it stops.
         */
        public void terminate() {
            process.toHandle().destroy();
        }

        /** Sends SIGKILL and waits for the process to be gone. */
        public void kill() {
            process.toHandle().destroyForcibly();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("still alive 10 s after SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            LIVE.remove(process);
        }

        /**
         * @param deadline how long to wait
         * @return the exit status
         */
        public int awaitExit(Duration deadline) {
            try {
                if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("still running after " + deadline + output());
                }
                for (Thread t : pumps) {
                    t.join(5000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            LIVE.remove(process);
            return process.exitValue();
        }

        /** Kills the process if it still runs (SIGKILL). */
        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
            LIVE.remove(process);
        }

        /**
         * @param path e.g. {@code /api/channels}
         * @return the URI on this gateway
         */
        public URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        /** @param path a path @param token the bearer token, or null @return the answer */
        public Answer get(String path, String token) {
            return send(request(path, token).GET());
        }

        /** @param path a path @param token the bearer token @param json the body @return the answer */
        public Answer post(String path, String token, Object json) {
            return send(request(path, token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(text(json))));
        }

        /**
         * @param path a path
         * @param token the bearer token
         * @param json the body
         * @param headers more request headers
         * @return the answer
         */
        public Answer post(String path, String token, Object json, Map<String, String> headers) {
            HttpRequest.Builder b = request(path, token).header("Content-Type", "application/json");
            headers.forEach(b::header);
            return send(b.POST(HttpRequest.BodyPublishers.ofString(text(json))));
        }

        /** @param path a path @param token the bearer token @param json the body @return the answer */
        public Answer put(String path, String token, Object json) {
            return send(request(path, token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(text(json))));
        }

        /** @param path a path @param token the bearer token @return the answer */
        public Answer delete(String path, String token) {
            return send(request(path, token).DELETE());
        }

        private HttpRequest.Builder request(String path, String token) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return b;
        }

        private static String text(Object json) {
            try {
                return json instanceof String s ? s : JSON.writeValueAsString(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Answer send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(r.statusCode(), r.body(), r.headers().map());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Polls until a condition holds.
     *
     * @param deadline how long to try
     * @param condition what must hold
     * @return how long it took, or empty when it never held
     */
    public static Optional<Duration> poll(Duration deadline, java.util.function.BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
            if (System.nanoTime() > end) {
                return Optional.empty();
            }
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return a JSON object builder shortcut: {@code obj("name", "x", "priority", 3)} */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
