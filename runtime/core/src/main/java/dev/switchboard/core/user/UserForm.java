package dev.switchboard.core.user;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Fields;
import dev.switchboard.core.store.UserRecord;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Turns admin input into a checked {@link UserRecord}; every problem names its field. */
final class UserForm {

    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final int MIN_PASSWORD = 8;

    private static final Set<String> WRITABLE = Set.of("username", "password", "display_name", "role", "status",
            "group", "quota", "unlimited_quota");
    private static final Set<String> READ_ONLY = Set.of("id", "used_quota", "request_count", "access_token_masked",
            "created_at");

    private UserForm() {
    }

    /**
     * @param input the admin's JSON
     * @param existing the user to change, or {@code null} to create one
     * @param hasher hashes a new password
     * @param defaultQuota the quota of a new user that names none
     * @param now unix seconds
     * @return the record to store
     */
    static UserRecord apply(JsonNode input, UserRecord existing, UnaryOperator<String> hasher, long defaultQuota,
            long now) {
        Fields f = Fields.of(input);
        Set<String> allowed = new HashSet<>(WRITABLE);
        allowed.addAll(READ_ONLY);
        f.rejectUnknown(allowed);
        boolean create = existing == null;
        String username = create || f.has("username") ? f.requiredString("username").trim() : existing.username();
        if (!USERNAME.matcher(username).matches()) {
            throw BadInput.invalid("username", "username must be 1 to 64 letters, digits or . _ @ -, starting with a "
                    + "letter or digit");
        }
        String passwordHash = create ? null : existing.passwordHash();
        if (create || f.has("password")) {
            passwordHash = hasher.apply(checkedPassword(f.requiredString("password")));
        }
        String displayName = f.has("display_name") ? f.string("display_name", null)
                : create ? null : existing.displayName();
        String roleName = f.has("role") ? f.string("role", null) : create ? "user" : existing.role();
        if (Role.parse(roleName) == null) {
            throw BadInput.invalid("role", "role must be root, admin or user");
        }
        String status = f.has("status") ? f.string("status", null) : create ? "enabled" : existing.status();
        if (!"enabled".equals(status) && !"disabled".equals(status)) {
            throw BadInput.invalid("status", "status must be enabled or disabled");
        }
        String group = f.has("group") ? f.string("group", null) : create ? "default" : existing.group();
        group = group == null || group.isBlank() ? "default" : group.trim();
        if (!GROUP.matcher(group).matches()) {
            throw BadInput.invalid("group", "group must be 1 to 64 letters, digits or . _ -");
        }
        long quota = f.integer("quota", create ? defaultQuota : existing.quota());
        if (quota < 0) {
            throw BadInput.invalid("quota", "quota must be 0 or more (micro-units of the currency)");
        }
        boolean unlimited = f.bool("unlimited_quota", !create && existing.unlimitedQuota());
        return new UserRecord(create ? 0 : existing.id(), username, displayName, roleName, status, group, quota,
                unlimited, create ? 0 : existing.usedQuota(), create ? 0 : existing.requestCount(), passwordHash,
                create ? null : existing.accessTokenHash(), create ? null : existing.accessTokenMasked(),
                create ? now : existing.createdAt());
    }

    /**
     * @param password a new password
     * @return it, when long enough
     */
    static String checkedPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw BadInput.invalid("password", "password must be at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > 1024) {
            throw BadInput.invalid("password", "password must be at most 1024 characters");
        }
        return password;
    }
}
