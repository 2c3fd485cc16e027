<?php

use App\Http\Controllers\Api\OrderController;
use Illuminate\Support\Facades\Route;

Route::apiResource('orders', OrderController::class);

Route::group(['prefix' => 'v2', 'middleware' => 'throttle:api'], function () {
    Route::get('/status', fn () => ['ok' => true]);
});
