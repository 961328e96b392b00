package io.erosengine.store.memory;

import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.port.PersonaStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

final class MemPersonaStore implements PersonaStore {
    private final Data data;

    MemPersonaStore(Data data) { this.data = data; }

    @Override
    public Persona upsert(Persona persona) {
        synchronized (data) {
            Persona stored = findByName(persona.name()).map(old -> persona.withId(old.id())).orElse(persona);
            data.personas.put(stored.id(), stored);
            return stored;
        }
    }

    @Override
    public Optional<Persona> find(PersonaId id) {
        synchronized (data) { return Optional.ofNullable(data.personas.get(id)); }
    }

    @Override
    public Optional<Persona> findByName(String name) {
        synchronized (data) {
            return data.personas.values().stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    @Override
    public List<Persona> list() {
        synchronized (data) {
            return data.personas.values().stream().sorted(Comparator.comparing(Persona::name)).toList();
        }
    }
}
