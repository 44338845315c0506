package dev.switchboard.core.store;

/** The store contract against the embedded MapDB store (one file per test). */
class MapDbStoreContractTest extends StoreContract {

    @Override
    Store open() {
        return new MapDbStore(dir.resolve("switchboard.db"));
    }
}
