package io.erosengine.core.port;

import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import java.util.List;
import java.util.Optional;

/** Personas, shared by all users. Thread-safe. */
public interface PersonaStore {

    /** Inserts or updates by {@code name}; an existing persona keeps its id. Returns the stored persona. */
    Persona upsert(Persona persona);

    Optional<Persona> find(PersonaId id);

    Optional<Persona> findByName(String name);

    /** All personas, by name. */
    List<Persona> list();
}
