/**
 * The Acme channel type: a made-up vendor whose chat API looks like OpenAI's but differs where real vendors
 * do. Requests carry {@code X-Acme-Key}; answers and stream events have their own fields; errors read {@code
 * {"err_code": 1001, "err_msg": "..."}}, sometimes with HTTP 200. Private to the bundle: nothing here is
 * exported.
 */
package com.example.switchboard.acme;
