/**
 * Who is calling the admin API: the admin token (root's access token), a user's personal access token, or a
 * console session cookie; sessions with their CSRF tokens; and the login rate limits. Depends on {@code core.user},
 * the store and Jetty's request types; never on the admin API's routing.
 */
package dev.switchboard.core.auth;
