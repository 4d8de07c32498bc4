async def test_health_answers_envelope(client):
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "data": {"ok": True},
        "message": "Berhasil",
        "status": 200,
    }
