/**
 * Users: accounts with a role (root, admin, user), a status, a group and a quota, kept in memory and written
 * through to the store. The first start creates {@code root} (id 1, unlimited quota). Depends on the store and the
 * core's JSON plumbing; passwords are hashed by {@code core.auth}.
 */
package dev.switchboard.core.user;
